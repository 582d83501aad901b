"""newsflow: a stream-processing worker that cleans and enriches raw news articles."""

from importlib.metadata import PackageNotFoundError, version

# The package's version (pyproject.toml), which names a release of the code. The pipeline version
# (workers.settings.PIPELINE_VERSION) is another thing: it names what the stages output, and goes into payloads.
try:
    __version__ = version("newsflow")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
