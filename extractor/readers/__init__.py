"""One reader per format, chosen by the file's content (its name is only a hint).

``reading.read_document`` reads any file; ``formats`` holds the one suffix table, ``limits``
the size limits, ``registry`` the reader of each format. This package file imports nothing,
so that ``formats`` and ``limits`` load without a reader (the command line's start-up).
"""
