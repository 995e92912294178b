"""The central assessment (central bedömningsfunktion): the rules decide each booking at
creation, an assessor decides what needs a person, the traveller gets a decision letter."""
