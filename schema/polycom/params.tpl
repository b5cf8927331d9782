{{! Raw params as attributes of their own element, last in the file: a
    raw param may repeat a mapped parameter's name without making the
    element ill-formed (the phone reads every element's attributes). }}
<params
{{#params}}
 {{name}}="{{value}}"
{{/params}}
/>
