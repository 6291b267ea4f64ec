"""GitHub: issues and pull requests become tasks, merged work becomes evidence on goals."""
