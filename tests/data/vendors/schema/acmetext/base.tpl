#!version:1.0.0.1
{{#accounts}}
account.{{line}}.display_name = {{display_name}}
account.{{line}}.user = {{user}}
account.{{line}}.password = {{password}}
{{/accounts}}
{{#params}}
{{name}} = {{value}}
{{/params}}
