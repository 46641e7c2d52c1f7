"""The PostgreSQL engine: tsvector columns kept by triggers in the writing transaction."""
