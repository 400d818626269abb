#compdef wrenn
# zsh completion for ./wrenn: eval "$(./wrenn completion zsh)" (or save as _wrenn on your fpath)
_wrenn() {
  local -a commands sandbox_cmds
  commands=(login sandbox template snapshot completion up test build image bench doctor control-plane host-agent
    guest-agent install-service uninstall-service help)
  if (( CURRENT == 2 )); then
    compadd -- $commands
    return
  fi
  case "${words[2]} ${words[3]}" in
    "sandbox "*)
      if (( CURRENT == 3 )); then
        compadd -- ls create info exec shell cp pause resume kill
      elif [[ "${words[CURRENT]}" == -* ]]; then
        compadd -- --json --template --timeout --env --metadata --user --cwd
      elif [[ "${words[3]}" == cp ]]; then
        _files
      else
        compadd -- ${(f)"$(${words[1]} sandbox ls 2>/dev/null | awk 'NR > 1 { print $1 }')"}
      fi ;;
    "template "*)
      if (( CURRENT == 3 )); then compadd -- ls rm build; else compadd -- --json --name -f; _files; fi ;;
    "snapshot "*)
      if (( CURRENT == 3 )); then compadd -- ls create rm; else compadd -- --json --name; fi ;;
    "completion "*) compadd -- bash zsh ;;
    "login "*) compadd -- --url --key --sandbox-url ;;
  esac
}
if (( $+functions[compdef] )); then compdef _wrenn wrenn ./wrenn; fi
