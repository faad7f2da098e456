"""Storage: SQLAlchemy models, the engine, and the queries the service runs."""
