"""Cleaning text dumps: the body apart from boilerplate and related items, by marker phrases and a model."""
