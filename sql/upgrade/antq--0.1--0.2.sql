-- antq 0.1 -> 0.2: no changes to the schema. It exists so that ALTER EXTENSION antq UPDATE
-- is exercised (the worker must keep running across it); later releases add their changes here.
\echo Use "ALTER EXTENSION antq UPDATE TO '0.2'" to load this file. \quit
