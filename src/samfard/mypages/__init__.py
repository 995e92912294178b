"""The traveller's own pages (/mina-resor): log in, book, see, cancel, report a deviation."""
