package builtin

// QuoteIdent exposes quoteIdent to the external tests.
var QuoteIdent = quoteIdent
