"""Demo CRM data: a small realistic set written through the services (`small`), and a
large generated set written with COPY for the performance budgets (`large`)."""
