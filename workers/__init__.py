"""newsflow: a stream-processing worker that cleans and enriches raw news articles."""

__version__ = "0.1.0"
