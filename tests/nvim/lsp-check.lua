-- Neovim's own LSP client against `mdbook-iam lsp`, as tests/nvim.rs runs it:
--
--   MDBOOK_IAM_BIN=target/debug/mdbook-iam MDBOOK_IAM_BOOK=book-example \
--   MDBOOK_IAM_NVIM_OUT=out.json nvim --headless --clean -u NONE -l tests/nvim/lsp-check.lua
--
-- (`-l` is Neovim 0.9; with 0.7 and 0.8, `-c 'luafile tests/nvim/lsp-check.lua'`.)
-- It opens the book's tutorial, types `<<#iam-policy ` on a new last line and asks for
-- completion there, asks for hover on `<<#iam-policy s3-readonly>>`, pastes a policy with a
-- retired action and waits for the diagnostics of that version of the buffer, then stops the
-- server. What the client received goes to MDBOOK_IAM_NVIM_OUT as JSON, the keys in a fixed
-- order: `labels` (completion), `hover` (the markdown), `codes` (the diagnostics after the
-- paste), `exit_code` (the server's, after shutdown and exit). On a failure the file holds
-- `error` instead and Neovim exits with status 1.
--
-- Written for the oldest API that works: Neovim 0.7 (Debian bookworm's) has
-- `vim.lsp.start_client` and `vim.lsp.buf_attach_client`, not `vim.lsp.start` (0.8).

local WAIT = 20000 -- ms, for each step

local function env(name)
  local v = os.getenv(name)
  if v == nil or v == '' then
    error(name .. ' is not set')
  end
  return v
end

local out_path = env('MDBOOK_IAM_NVIM_OUT')

local function write(text)
  local f = assert(io.open(out_path, 'w'))
  f:write(text)
  f:close()
end

local function main()
  local bin = env('MDBOOK_IAM_BIN')
  local book = vim.fn.fnamemodify(env('MDBOOK_IAM_BOOK'), ':p'):gsub('/$', '')
  local page = book .. '/src/tutorial.md'

  -- Every publishDiagnostics the client receives, before Neovim's own handler shows it.
  local published = {}
  local exit_code = nil
  local attached = false
  local client_id = vim.lsp.start_client({
    name = 'mdbook-iam',
    cmd = { bin, 'lsp' },
    root_dir = book,
    on_attach = function()
      attached = true
    end,
    on_exit = function(code)
      exit_code = code
    end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        table.insert(published, result)
        return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
      end,
    },
  })
  if not client_id then
    error('vim.lsp.start_client did not start ' .. bin)
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(page))
  vim.bo.filetype = 'markdown'
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  if not vim.wait(WAIT, function() return attached end, 20) then
    error('the client did not attach within ' .. WAIT .. ' ms')
  end
  local client = vim.lsp.get_client_by_id(client_id)
  local uri = vim.uri_from_bufnr(buf)

  local function request(method, params)
    local answer, err = client.request_sync(method, params, WAIT, buf)
    if not answer then
      error(method .. ': no answer (' .. tostring(err) .. ')')
    end
    if answer.err then
      error(method .. ': ' .. vim.inspect(answer.err))
    end
    return answer.result
  end

  -- Completion: `<<#iam-policy ` typed on a new last line, the cursor after the space.
  local typed = '<<#iam-policy '
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { typed })
  local last = vim.api.nvim_buf_line_count(buf) - 1
  local completion = request('textDocument/completion', {
    textDocument = { uri = uri },
    position = { line = last, character = select(2, vim.str_utfindex(typed)) },
    context = { triggerKind = 1 },
  })
  local items = completion and (completion.items or completion) or {}
  local labels = {}
  for _, item in ipairs(items) do
    table.insert(labels, item.label)
  end

  -- Hover on the directive, the cursor on its kind, positions as Neovim makes them.
  local directive = '<<#iam-policy s3-readonly>>'
  local row, col
  for n, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = line:find(directive, 1, true)
    if at then
      row, col = n, at - 1
      break
    end
  end
  if not row then
    error(directive .. ' is not in ' .. page)
  end
  vim.api.nvim_win_set_cursor(0, { row, col + 5 })
  local hover = request('textDocument/hover', vim.lsp.util.make_position_params(0, client.offset_encoding))
  local contents = hover and hover.contents
  local markdown = type(contents) == 'table' and (contents.value or vim.inspect(contents)) or contents

  -- A pasted policy with a retired action, after the typed line; then the diagnostics the
  -- server publishes for this version of the buffer (Neovim sends changes after a pause, so the
  -- version tells this answer from the ones for earlier edits).
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, {
    '',
    '```json',
    '{',
    '  "Version": "2012-10-17",',
    '  "Statement": [',
    '    {',
    '      "Effect": "Allow",',
    '      "Action": "qapps:ImportDocumentToQApp",',
    '      "Resource": "*"',
    '    }',
    '  ]',
    '}',
    '```',
  })
  local version = vim.api.nvim_buf_get_changedtick(buf)
  local after
  local got = vim.wait(WAIT, function()
    for _, p in ipairs(published) do
      if p.uri == uri and p.version == version then
        after = p
        return true
      end
    end
    return false
  end, 20)
  if not got then
    local seen = {}
    for _, p in ipairs(published) do
      table.insert(seen, tostring(p.version))
    end
    error(
      'no diagnostics for version '
        .. version
        .. ' within '
        .. WAIT
        .. ' ms (versions published: '
        .. table.concat(seen, ', ')
        .. ')'
    )
  end
  local codes = {}
  for _, d in ipairs(after.diagnostics) do
    table.insert(codes, d.code == nil and vim.NIL or d.code)
  end

  -- shutdown, exit; the server's exit status.
  client.stop()
  if not vim.wait(WAIT, function() return exit_code ~= nil end, 20) then
    error('the server did not exit within ' .. WAIT .. ' ms of shutdown')
  end

  local enc = vim.fn.json_encode
  write(
    '{"labels": '
      .. enc(labels)
      .. ',\n "hover": '
      .. enc(markdown or vim.NIL)
      .. ',\n "codes": '
      .. enc(codes)
      .. ',\n "exit_code": '
      .. enc(exit_code)
      .. '}\n'
  )
end

local ok, err = pcall(main)
if ok then
  vim.cmd('qall!')
else
  pcall(write, vim.fn.json_encode({ error = tostring(err) }) .. '\n')
  io.stderr:write('lsp-check.lua: ' .. tostring(err) .. '\n')
  vim.cmd('cquit 1')
end
