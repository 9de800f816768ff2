"""Health: `liputan status` (docs/load.md) and the checks that end each run (docs/airflow.md)."""
