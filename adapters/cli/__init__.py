"""The `faqbot` commands a curator or operator runs in a terminal, one module each."""
