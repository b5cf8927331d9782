{{! The 7832 has no line keys: its base.tpl without the keys block (model
    template, docs/packs.md "Which template renders a file", step 4). }}
{{<base}}
{{$keys}}
{{/keys}}
{{/base}}
