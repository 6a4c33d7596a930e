"""Command-line interface: ``tradecoop <noun> <verb>``. See ``tradecoop --help``."""
