-- The order path books fills in the account's currency, rounded to that currency's decimals: it reads
-- the currencies from their own reference topic, captured like accounts and instruments.
ALTER PUBLICATION rtx_capture ADD TABLE accounts.currencies;
GRANT SELECT ON accounts.currencies TO rtx_cdc;
