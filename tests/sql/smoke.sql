SELECT extname FROM pg_extension WHERE extname = 'antq';
