; C: every name no pattern of c_tags.scm tags is read: a function passed as a value, a
; global, an enumerator, a macro (an argument, a value assigned, returned or initialised,
; an array element). Kept apart so that Objective-C, which inherits c_tags.scm, does not
; read its selectors and keywords as names.
(identifier) @name @reference.read
