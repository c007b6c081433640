package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/kong"
)

// completionCmd prints a completion script for a shell. The script is
// generated from the parsed kong grammar, so a command or flag added to the
// grammar is completed without touching this file.
type completionCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" placeholder:"SHELL" help:"Shell to complete for: bash, zsh or fish."`
}

// Run writes the script for c.Shell to standard output.
func (c *completionCmd) Run(a *app, kctx *kong.Context) error {
	tree := completionTree(kctx.Model.Node)
	var err error
	switch c.Shell {
	case "bash":
		err = writeBashCompletion(a.stdout, tree)
	case "zsh":
		err = writeZshCompletion(a.stdout, tree)
	case "fish":
		err = writeFishCompletion(a.stdout, tree)
	default:
		// kong's enum check makes this unreachable from the command line.
		return fmt.Errorf("completion: unknown shell %q (bash, zsh or fish)", c.Shell)
	}
	if err != nil {
		return fmt.Errorf("write %s completion: %w", c.Shell, err)
	}
	return nil
}

// valueKind says how a flag's value or a command's positional arguments
// complete. The empty kind means the flag takes no value.
type valueKind struct {
	kind string   // "", "any", "file", "dir" or "enum"
	enum []string // the choices when kind is "enum"
}

// shellWord is the kind as the generated scripts spell it: "file",
// "enum bash zsh fish", ...
func (v valueKind) shellWord() string {
	if v.kind == "enum" {
		return "enum " + strings.Join(v.enum, " ")
	}
	return v.kind
}

// compFlag is a flag as completion sees it.
type compFlag struct {
	long  []string // names with the dashes: --config, then aliases and --no-x
	short string   // "-c" or ""
	help  string
	value valueKind
}

// compCommand is a command (or the application itself, path "") with the
// flags it declares; its parents' flags apply to it too, as kong parses them.
type compCommand struct {
	path     string // words from the root, space-separated: "cache warm"
	name     string
	help     string
	flags    []compFlag
	children []*compCommand
	args     valueKind // how its positional arguments complete
}

// completionTree converts kong's model into the tree the generators walk,
// leaving out hidden commands and flags.
func completionTree(n *kong.Node) *compCommand {
	return convertNode(n, "")
}

func convertNode(n *kong.Node, path string) *compCommand {
	c := &compCommand{path: path, name: n.Name, help: summary(n.Help)}
	if path == "" {
		c.name = ""
	}
	for _, f := range n.Flags {
		if f.Hidden {
			continue
		}
		cf := compFlag{long: []string{"--" + f.Name}, help: summary(f.Help)}
		for _, alias := range f.Aliases {
			cf.long = append(cf.long, "--"+alias)
		}
		switch f.Tag.Negatable {
		case "":
		case "_":
			cf.long = append(cf.long, "--no-"+f.Name)
		default:
			cf.long = append(cf.long, "--"+f.Tag.Negatable)
		}
		if f.Short != 0 {
			cf.short = "-" + string(f.Short)
		}
		if !f.IsBool() && !f.IsCounter() {
			cf.value = valueOf(f.Value, f.PlaceHolder)
		}
		c.flags = append(c.flags, cf)
	}
	if len(n.Positional) > 0 {
		p := n.Positional[0]
		placeholder := ""
		if p.Tag != nil {
			placeholder = p.Tag.PlaceHolder
		}
		c.args = valueOf(p, placeholder)
	}
	for _, child := range n.Children {
		if child.Type != kong.CommandNode || child.Hidden {
			continue
		}
		childPath := child.Name
		if path != "" {
			childPath = path + " " + child.Name
		}
		c.children = append(c.children, convertNode(child, childPath))
	}
	return c
}

// valueOf decides how a value completes: its enum, else files or
// directories when its type or placeholder says it is a path, else
// anything (the shell offers nothing).
func valueOf(v *kong.Value, placeholder string) valueKind {
	if v.Enum != "" {
		var choices []string
		for _, e := range strings.Split(v.Enum, ",") {
			if e = strings.TrimSpace(e); e != "" {
				choices = append(choices, e)
			}
		}
		return valueKind{kind: "enum", enum: choices}
	}
	typ := ""
	if v.Tag != nil {
		typ = v.Tag.Type
	}
	switch {
	case typ == "existingdir" || placeholder == "DIR" || strings.HasSuffix(v.Name, "-dir"):
		return valueKind{kind: "dir"}
	case typ == "path" || typ == "existingfile" || typ == "filecontent" ||
		placeholder == "FILE" || placeholder == "F" || placeholder == "PATH" || strings.HasSuffix(v.Name, "-file"):
		return valueKind{kind: "file"}
	}
	return valueKind{kind: "any"}
}

// summary is a help text on one line, as completion menus show it.
func summary(help string) string {
	return strings.Join(strings.Fields(help), " ")
}

// walk visits c and its descendants, parents first.
func (c *compCommand) walk(visit func(*compCommand)) {
	visit(c)
	for _, child := range c.children {
		child.walk(visit)
	}
}

// allFlags is every flag valid on c: its own and its ancestors'.
func allFlags(root *compCommand, c *compCommand) []compFlag {
	var out []compFlag
	var find func(n *compCommand, acc []compFlag) bool
	find = func(n *compCommand, acc []compFlag) bool {
		acc = append(acc[:len(acc):len(acc)], n.flags...)
		if n == c {
			out = acc
			return true
		}
		for _, child := range n.children {
			if find(child, acc) {
				return true
			}
		}
		return false
	}
	find(root, nil)
	return out
}

// names is every spelling of the flag, long ones first.
func (f compFlag) names() []string {
	if f.short == "" {
		return f.long
	}
	return append(f.long[:len(f.long):len(f.long)], f.short)
}

// flagScope is the shell case pattern matching "PATH|FLAG" for a flag
// declared on c: it applies to c and to every command below it.
func flagScope(c *compCommand, name string) string {
	if c.path == "" {
		return `*"|` + name + `"`
	}
	return `"` + c.path + `|` + name + `"|"` + c.path + ` "*"|` + name + `"`
}

// singleQuote quotes s for sh, bash and zsh.
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// fishQuote quotes s for fish, whose single quotes take \' and \\.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// writeShared writes the case tables bash and zsh share: which word is a
// subcommand, how a flag's value completes, how positional arguments do.
// Each sets REPLY rather than printing, so that completing costs no
// subshell per word.
func writeShared(b *strings.Builder, root *compCommand) {
	b.WriteString("# _cqltrack_sub PATH WORD: REPLY is the command path WORD leads to from PATH,\n# empty when WORD is not a command there.\n")
	b.WriteString("_cqltrack_sub() {\n    REPLY=\n    case \"$1/$2\" in\n")
	root.walk(func(c *compCommand) {
		for _, child := range c.children {
			fmt.Fprintf(b, "    %s) REPLY=%s ;;\n", singleQuote(c.path+"/"+child.name), singleQuote(child.path))
		}
	})
	b.WriteString("    esac\n}\n\n")

	b.WriteString("# _cqltrack_value PATH FLAG: REPLY is how FLAG's value completes in command\n# PATH (any, file, dir, \"enum A B\"), empty when FLAG takes no value.\n")
	b.WriteString("_cqltrack_value() {\n    REPLY=\n    case \"$1|$2\" in\n")
	// Deeper commands first: the first matching pattern wins.
	var cmds []*compCommand
	root.walk(func(c *compCommand) { cmds = append(cmds, c) })
	for i := len(cmds) - 1; i >= 0; i-- {
		c := cmds[i]
		for _, f := range c.flags {
			if f.value.kind == "" {
				continue
			}
			var pats []string
			for _, name := range f.names() {
				pats = append(pats, flagScope(c, name))
			}
			fmt.Fprintf(b, "    %s) REPLY=%s ;;\n", strings.Join(pats, "|"), singleQuote(f.value.shellWord()))
		}
	}
	b.WriteString("    esac\n}\n\n")

	b.WriteString("# _cqltrack_args PATH: REPLY is how the positional arguments of command PATH complete.\n")
	b.WriteString("_cqltrack_args() {\n    REPLY=\n    case \"$1\" in\n")
	root.walk(func(c *compCommand) {
		if c.args.kind != "" && c.args.kind != "any" {
			fmt.Fprintf(b, "    %s) REPLY=%s ;;\n", singleQuote(c.path), singleQuote(c.args.shellWord()))
		}
	})
	b.WriteString("    esac\n}\n\n")
}

// commandPathLoop is the shell loop (bash and zsh alike) that reads the
// words before the cursor, from index FIRST, and leaves the command path
// they name in cmdpath: flags and the values of flags that take one are
// skipped, and any other word that is not a command is an argument.
const commandPathLoop = `    local cmdpath="" w i
    for ((i = FIRST; i < LAST; i++)); do
        w=${WORDS[i]}
        case "$w" in
        --*=*) continue ;;
        -*)
            _cqltrack_value "$cmdpath" "$w"
            if [[ -n $REPLY ]]; then
                # Skip the value, and bash's "=" word in --flag=value.
                [[ ${WORDS[i+1]} == "=" ]] && ((i++))
                ((i++))
            fi
            continue ;;
        esac
        _cqltrack_sub "$cmdpath" "$w"
        [[ -n $REPLY ]] && cmdpath=$REPLY
    done
`

func writeBashCompletion(w io.Writer, root *compCommand) error {
	var b strings.Builder
	b.WriteString(`# bash completion for cqltrack, generated by "cqltrack completion bash".
# For the current shell:  source <(cqltrack completion bash)
# For every shell:        cqltrack completion bash > ~/.local/share/bash-completion/completions/cqltrack

`)
	writeShared(&b, root)
	b.WriteString("# _cqltrack_flags PATH: REPLY is every flag of command PATH, its parents' included.\n")
	b.WriteString("_cqltrack_flags() {\n    REPLY=\n    case \"$1\" in\n")
	root.walk(func(c *compCommand) {
		var names []string
		for _, f := range allFlags(root, c) {
			names = append(names, f.names()...)
		}
		fmt.Fprintf(&b, "    %s) REPLY=%s ;;\n", singleQuote(c.path), singleQuote(strings.Join(names, " ")))
	})
	b.WriteString("    esac\n}\n\n")
	b.WriteString("# _cqltrack_commands PATH: REPLY is the subcommands of command PATH.\n")
	b.WriteString("_cqltrack_commands() {\n    REPLY=\n    case \"$1\" in\n")
	root.walk(func(c *compCommand) {
		if len(c.children) == 0 {
			return
		}
		var names []string
		for _, child := range c.children {
			names = append(names, child.name)
		}
		fmt.Fprintf(&b, "    %s) REPLY=%s ;;\n", singleQuote(c.path), singleQuote(strings.Join(names, " ")))
	})
	b.WriteString("    esac\n}\n\n")
	b.WriteString(`# _cqltrack_complete KIND CUR: fill COMPREPLY with the completions of a value.
_cqltrack_complete() {
    local IFS=$'\n'
    case "$1" in
    file)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$2")) ;;
    dir)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$2")) ;;
    enum\ *)
        IFS=$' \t\n'
        COMPREPLY=($(compgen -W "${1#enum }" -- "$2")) ;;
    esac
}

_cqltrack() {
    COMPREPLY=()
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD-1]}
`)
	loop := strings.NewReplacer("FIRST", "1", "LAST", "COMP_CWORD", "WORDS", "COMP_WORDS").Replace(commandPathLoop)
	b.WriteString(loop)
	b.WriteString(`    # bash splits --flag=value at "=": complete the value.
    if [[ $cur == "=" ]]; then
        cur=
    elif [[ $prev == "=" ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    if [[ $prev == -* ]]; then
        _cqltrack_value "$cmdpath" "$prev"
        if [[ -n $REPLY ]]; then
            _cqltrack_complete "$REPLY" "$cur"
            return 0
        fi
    fi
    if [[ $cur == -* ]]; then
        _cqltrack_flags "$cmdpath"
        COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
        return 0
    fi
    _cqltrack_commands "$cmdpath"
    if [[ -n $REPLY ]]; then
        COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
        return 0
    fi
    _cqltrack_args "$cmdpath"
    [[ -n $REPLY ]] && _cqltrack_complete "$REPLY" "$cur"
    return 0
}

complete -F _cqltrack cqltrack
`)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeZshCompletion(w io.Writer, root *compCommand) error {
	var b strings.Builder
	b.WriteString(`#compdef cqltrack
# zsh completion for cqltrack, generated by "cqltrack completion zsh".
# For the current shell:  source <(cqltrack completion zsh)
# For every shell:        cqltrack completion zsh > "${fpath[1]}/_cqltrack"   (then start a new shell)

`)
	writeShared(&b, root)
	b.WriteString("# _cqltrack_flags PATH: reply is every flag of command PATH as flag:description.\n")
	b.WriteString("_cqltrack_flags() {\n    reply=()\n    case \"$1\" in\n")
	root.walk(func(c *compCommand) {
		var items []string
		for _, f := range allFlags(root, c) {
			for _, name := range f.names() {
				items = append(items, singleQuote(name+":"+f.help))
			}
		}
		fmt.Fprintf(&b, "    %s) reply=(%s) ;;\n", singleQuote(c.path), strings.Join(items, " "))
	})
	b.WriteString("    esac\n}\n\n")
	b.WriteString("# _cqltrack_commands PATH: reply is the subcommands of command PATH as name:description.\n")
	b.WriteString("_cqltrack_commands() {\n    reply=()\n    case \"$1\" in\n")
	root.walk(func(c *compCommand) {
		if len(c.children) == 0 {
			return
		}
		var items []string
		for _, child := range c.children {
			items = append(items, singleQuote(child.name+":"+child.help))
		}
		fmt.Fprintf(&b, "    %s) reply=(%s) ;;\n", singleQuote(c.path), strings.Join(items, " "))
	})
	b.WriteString("    esac\n}\n\n")
	b.WriteString(`# _cqltrack_complete KIND: offer the completions of a value.
_cqltrack_complete() {
    case "$1" in
    file) _files ;;
    dir) _files -/ ;;
    enum\ *) compadd -- ${=${1#enum }} ;;
    esac
}

_cqltrack() {
    local cur=${words[CURRENT]} prev=${words[CURRENT-1]}
    local -a reply
    local REPLY
`)
	// zsh's words array starts at 1 with the command name.
	loop := strings.NewReplacer("FIRST", "2", "LAST", "CURRENT", "WORDS", "words").Replace(commandPathLoop)
	b.WriteString(loop)
	b.WriteString(`    if [[ $cur == --*=* ]]; then
        _cqltrack_value "$cmdpath" "${cur%%=*}"
        compset -P '*='
        _cqltrack_complete "$REPLY"
        return
    fi
    if [[ $prev == -* ]]; then
        _cqltrack_value "$cmdpath" "$prev"
        if [[ -n $REPLY ]]; then
            _cqltrack_complete "$REPLY"
            return
        fi
    fi
    if [[ $cur == -* ]]; then
        _cqltrack_flags "$cmdpath"
        _describe -t options 'cqltrack flag' reply
        return
    fi
    _cqltrack_commands "$cmdpath"
    if (( ${#reply} )); then
        _describe -t commands 'cqltrack command' reply
        return
    fi
    _cqltrack_args "$cmdpath"
    [[ -n $REPLY ]] && _cqltrack_complete "$REPLY"
}

if [[ $funcstack[1] == _cqltrack ]]; then
    # Autoloaded from fpath: this file is the function's first call.
    _cqltrack "$@"
elif (( $+functions[compdef] )); then
    compdef _cqltrack cqltrack
fi
`)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFishCompletion(w io.Writer, root *compCommand) error {
	var b strings.Builder
	b.WriteString(`# fish completion for cqltrack, generated by "cqltrack completion fish".
# For the current shell:  cqltrack completion fish | source
# For every shell:        cqltrack completion fish > ~/.config/fish/completions/cqltrack.fish

`)
	b.WriteString("# __cqltrack_sub PATH WORD: the command path WORD leads to from PATH.\nfunction __cqltrack_sub\n    switch \"$argv[1]/$argv[2]\"\n")
	root.walk(func(c *compCommand) {
		for _, child := range c.children {
			fmt.Fprintf(&b, "        case %s\n            echo %s\n", fishQuote(c.path+"/"+child.name), fishQuote(child.path))
		}
	})
	b.WriteString("    end\nend\n\n")
	b.WriteString("# __cqltrack_takes_value PATH FLAG: whether FLAG takes a value in command PATH.\nfunction __cqltrack_takes_value\n    switch \"$argv[1]|$argv[2]\"\n")
	var cmds []*compCommand
	root.walk(func(c *compCommand) { cmds = append(cmds, c) })
	for _, c := range cmds {
		for _, f := range c.flags {
			if f.value.kind == "" {
				continue
			}
			for _, name := range f.names() {
				if c.path == "" {
					fmt.Fprintf(&b, "        case %s\n            return 0\n", fishQuote("*|"+name))
				} else {
					fmt.Fprintf(&b, "        case %s %s\n            return 0\n", fishQuote(c.path+"|"+name), fishQuote(c.path+" *|"+name))
				}
			}
		}
	}
	b.WriteString("    end\n    return 1\nend\n\n")
	b.WriteString(`# __cqltrack_path: the command path of the command line being completed.
function __cqltrack_path
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cmdpath ''
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case '--*=*'
                continue
            case '-*'
                if __cqltrack_takes_value "$cmdpath" $t
                    set skip 1
                end
                continue
        end
        set -l next (__cqltrack_sub "$cmdpath" $t)
        if test -n "$next"
            set cmdpath $next
        end
    end
    echo $cmdpath
end

# __cqltrack_at PATH: whether the command being completed is PATH.
function __cqltrack_at
    set -l p (__cqltrack_path)
    test "$p" = "$argv[1]"
end

# __cqltrack_under PATH: whether the command being completed is PATH or below it.
function __cqltrack_under
    set -l p (__cqltrack_path)
    test "$p" = "$argv[1]"; or string match -q -- "$argv[1] *" "$p"
end

# Files only where a command or flag takes them.
complete -c cqltrack -f
`)
	root.walk(func(c *compCommand) {
		for _, child := range c.children {
			fmt.Fprintf(&b, "complete -c cqltrack -n %s -a %s -d %s\n",
				fishQuote("__cqltrack_at "+singleQuote(c.path)), fishQuote(child.name), fishQuote(child.help))
		}
		for _, f := range c.flags {
			line := "complete -c cqltrack"
			if c.path != "" {
				line += " -n " + fishQuote("__cqltrack_under "+singleQuote(c.path))
			}
			if f.short != "" {
				line += " -s " + fishQuote(strings.TrimPrefix(f.short, "-"))
			}
			for _, l := range f.long {
				line += " -l " + fishQuote(strings.TrimPrefix(l, "--"))
			}
			line += fishValue(f.value)
			line += " -d " + fishQuote(f.help)
			b.WriteString(line + "\n")
		}
		if c.args.kind != "" && c.args.kind != "any" {
			fmt.Fprintf(&b, "complete -c cqltrack -n %s%s\n", fishQuote("__cqltrack_at "+singleQuote(c.path)), fishArg(c.args))
		}
	})
	_, err := io.WriteString(w, b.String())
	return err
}

// fishValue is the options of a fish complete line for a flag's value.
func fishValue(v valueKind) string {
	switch v.kind {
	case "":
		return ""
	case "file":
		return " -r -F"
	case "dir":
		return " -x -a '(__fish_complete_directories)'"
	case "enum":
		return " -x -a " + fishQuote(strings.Join(v.enum, " "))
	}
	return " -x"
}

// fishArg is the options of a fish complete line for positional arguments.
func fishArg(v valueKind) string {
	switch v.kind {
	case "file":
		return " -F"
	case "dir":
		return " -a '(__fish_complete_directories)'"
	case "enum":
		return " -a " + fishQuote(strings.Join(v.enum, " "))
	}
	return ""
}
