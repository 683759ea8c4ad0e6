"""Model stage: the case file contract (frozen pydantic models), its vocabulary, case queries and checks."""
