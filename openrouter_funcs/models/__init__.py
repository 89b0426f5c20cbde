"""Request and response models, one module per operation, grouped by API resource."""
