{{! The PAP2T is an analogue telephone adapter: no line keys, so its
    base.tpl without the keys block (model template, docs/packs.md "Which
    template renders a file", step 4). }}
{{<base}}
{{$keys}}
{{/keys}}
{{/base}}
