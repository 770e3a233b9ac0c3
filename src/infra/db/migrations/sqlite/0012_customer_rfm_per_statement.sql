-- PostgreSQL only (its insert trigger now adds once per statement); SQLite's row trigger
-- costs little, as SQLite runs it in the process.
SELECT 1;
