"""Health: `liputan status` and the checks that end each run (docs/airflow.md)."""
