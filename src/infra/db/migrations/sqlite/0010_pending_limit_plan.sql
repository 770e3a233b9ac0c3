-- PostgreSQL only (a trigger's plan); SQLite plans each statement when it is prepared.
SELECT 1;
