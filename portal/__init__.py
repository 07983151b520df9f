"""The Vonk web portal: app factory, settings, accounts, layout, i18n."""
