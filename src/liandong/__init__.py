"""Liandong (联动): linkage of the 12345 government service hotline and the 110 police desk."""

__version__ = "0.1.0"
