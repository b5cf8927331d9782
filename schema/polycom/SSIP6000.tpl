{{! The SoundStation IP 6000 is a conference phone without line keys:
    its base.tpl without the keys block (model template, docs/packs.md
    "Which template renders a file", step 4). }}
{{<base}}
{{$keys}}
{{/keys}}
{{/base}}
