/** The usage text, printed with `--help` and after a usage error. */
export const usage = `Usage:
  cors-lens check [paths...] [--format text|json|sarif] [--fix [--fix-rounds N]] [--budget-ms N]
                  [--fail-on error|warning|info|hint|none]
      Find CORS mistakes in files and folders (folders are walked, honouring .gitignore and
      skipping node_modules, virtualenvs, site-packages, dist, build and vendor folders).
      A file whose reading takes over N ms of CPU time (default 1000) is reported
      (analysis-over-budget). --fix applies the quick fixes and checks again, up to
      --fix-rounds rounds (default and most: 10; a fix that overlaps another waits a round).
      Exit 1 when a finding is at least as severe as --fail-on (default error; none: never),
      0 otherwise, 2 on bad usage.
  cors-lens preview <file> --origin O [--path P] [--method M] [--header H]... [--credentials]
                    [--format text|json]
      Predict the preflight and actual responses and the browser's verdict for one request.
      --header takes "name: value" or a name alone, which gets a realistic value
      (content-type: application/json, authorization: Bearer example-token, others: example).
      Exit 0 allowed, 1 blocked or no CORS setup in the file, 2 bad usage.
  cors-lens probe <url> --origin O [--method M] [--header H]... [--credentials] [--sweep]
                  [--format text|json]
      Ask a running server: send the preflight a browser would (when one is needed), then the
      actual request, and print the real responses and the browser's verdict. --header as in
      preview. --sweep also sends
      attacker origins (reflection, null, prefix/suffix tricks...) and grades each by risk.
      Exit 0 allowed, 1 blocked or a high-risk sweep finding, 2 bad usage, 3 no usable answer
      (refused, timeout, not HTTP).
  cors-lens explain ["<message>" | -] [--har FILE] [--root DIR] [--origin O] [--format text|json]
      Explain a CORS error from the browser's console (Chromium, Firefox or Safari; paste it
      quoted, or pipe it in): find the server under --root (default .) that answered the URL,
      replay the request against its policy, and print the cause, the line and the quick fix.
      --har explains every cross-origin request of a devtools HAR export that the browser
      blocked, grouped by cause. --origin gives the page's origin when the message does not
      (Firefox). Exit 0 when every error is reproduced at a line, 1 otherwise, 2 bad usage.
  cors-lens --help | --version
`;
