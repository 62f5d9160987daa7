-- Every stock calculator asks the vaccine (issue 14), so that the console can
-- alert per vaccine; calculations stored before it have none ('').
ALTER TABLE stock_calculations ADD COLUMN vaccine TEXT NOT NULL DEFAULT '';
