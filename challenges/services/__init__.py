"""Services of the challenge domain: rules, transactions and every query."""
