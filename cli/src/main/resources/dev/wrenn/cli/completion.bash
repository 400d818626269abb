# bash completion for ./wrenn (and `wrenn` on the PATH): eval "$(./wrenn completion bash)"
_wrenn_ids() {
  "${COMP_WORDS[0]}" sandbox ls 2>/dev/null | awk 'NR > 1 { print $1 }'
}
_wrenn() {
  local cur="${COMP_WORDS[COMP_CWORD]}" cmd="${COMP_WORDS[1]:-}" sub="${COMP_WORDS[2]:-}"
  local commands="login sandbox template snapshot completion up test build image bench doctor control-plane host-agent guest-agent install-service uninstall-service help"
  case "$COMP_CWORD" in
    1) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
    2)
      case "$cmd" in
        sandbox) COMPREPLY=($(compgen -W "ls create info exec shell cp pause resume kill" -- "$cur")) ;;
        template) COMPREPLY=($(compgen -W "ls rm build" -- "$cur")) ;;
        snapshot) COMPREPLY=($(compgen -W "ls create rm" -- "$cur")) ;;
        completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")) ;;
        login) COMPREPLY=($(compgen -W "--url --key --sandbox-url" -- "$cur")) ;;
      esac
      return ;;
  esac
  case "$cmd $sub" in
    "sandbox ls") COMPREPLY=($(compgen -W "--json --metadata" -- "$cur")) ;;
    "sandbox create") COMPREPLY=($(compgen -W "--template --timeout --env --metadata --json" -- "$cur")) ;;
    "sandbox cp") COMPREPLY=($(compgen -f -- "$cur")) ;;
    "sandbox info" | "sandbox exec" | "sandbox shell" | "sandbox pause" | "sandbox resume" | "sandbox kill" | "snapshot create")
      if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "--json --user --cwd --env --timeout --name" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "$(_wrenn_ids)" -- "$cur"))
      fi ;;
    "template build") COMPREPLY=($(compgen -W "--name -f" -- "$cur") $(compgen -f -- "$cur")) ;;
    "template ls" | "snapshot ls") COMPREPLY=($(compgen -W "--json" -- "$cur")) ;;
  esac
}
complete -F _wrenn wrenn ./wrenn
