"""The traveller register: people, home addresses, aids, permits, certificates, issuers."""
