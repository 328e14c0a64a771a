"""The Flask app: resident pages, mediator pages, exports and the funder's hub."""
