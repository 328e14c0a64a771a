"""The floor every other package stands on: framework-free pieces shared by the terminal's
processes and the funder's hub (event vocabulary, counters' schema, session layout, atomic
files, password hashing and login throttling). No Flask, no Qt, and no import of any other
package of this repository."""
