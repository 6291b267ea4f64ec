"""GitHub sign-in: allauth's provider with a configurable host, and the API's GitHub login."""
