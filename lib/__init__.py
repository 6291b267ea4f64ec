"""Shared plumbing below the domain apps; it imports no app of this project (CONTRIBUTING.md)."""
