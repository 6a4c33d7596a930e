"""Request and response schemas, one module per resource (Create / Update / Read / Page)."""
