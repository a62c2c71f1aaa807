"""Reading the files the Care Quality Commission publishes, and councils' own lists of
services, into `LocationRecord`s. `commissioning.market.cqc_formats` is the one door in; these
modules are its parts: `layouts` (records, columns, header recognition, refusals), `detection`
(which layout a file is in; workbooks), `values` (the cells of a row) and `reading` (the rows
of a file and the record each makes). Pure: no Django."""
