"""The embedded engine: Whoosh in the instance folder, with its transactional outbox."""
