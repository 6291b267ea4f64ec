"""Integrations with outside services: one small, self-contained app per provider.

This package's root holds what they share: the provider registry (`registry`), the
`/api/integrations` endpoints built on it and the settings page that lists every provider.
Each provider app (`integrations.github`, …) registers itself in its AppConfig.ready().
"""
