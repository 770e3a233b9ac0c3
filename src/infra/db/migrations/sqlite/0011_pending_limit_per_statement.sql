-- PostgreSQL only (its trigger now checks once per statement); SQLite's row trigger costs
-- little, as SQLite runs it in the process.
SELECT 1;
