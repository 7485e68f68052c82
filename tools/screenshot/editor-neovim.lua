-- Neovim's set-up for tools/screenshot/editor-neovim.sh: the tutorial of book-example with
-- `mdbook-iam lsp` attached, the hover on `<<#iam-policy s3-readonly>>` open, and, in a window
-- below, a page being written: `<<#iam-policy ` with the completion menu, above a pasted policy
-- holding a retired action and its diagnostic. When all of it shows, it writes the file named
-- by MDBOOK_IAM_SHOT_READY so the script takes the picture.
-- The same API as tests/nvim/lsp-check.lua: Neovim 0.7 (Debian bookworm's) and newer.

local bin = os.getenv('MDBOOK_IAM_BIN')
local book = vim.fn.fnamemodify(os.getenv('MDBOOK_IAM_BOOK'), ':p'):gsub('/$', '')
local ready = os.getenv('MDBOOK_IAM_SHOT_READY')

vim.o.termguicolors = true
vim.o.background = 'light'
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.laststatus = 2
vim.o.showmode = true
vim.o.shortmess = vim.o.shortmess .. 'IF'
vim.o.completeopt = 'menuone,noinsert'
vim.o.swapfile = false
vim.o.pumheight = 8
for group, spec in pairs({
  Normal = { fg = '#1f2328', bg = '#ffffff' },
  LineNr = { fg = '#8c959f' },
  SignColumn = { bg = '#ffffff' },
  StatusLine = { fg = '#ffffff', bg = '#24292f', bold = true },
  StatusLineNC = { fg = '#57606a', bg = '#d0d7de' },
  VertSplit = { fg = '#d0d7de' },
  NormalFloat = { fg = '#1f2328', bg = '#f3f4f6' },
  FloatBorder = { fg = '#57606a', bg = '#f3f4f6' },
  Pmenu = { fg = '#1f2328', bg = '#ddf4ff' },
  PmenuSel = { fg = '#ffffff', bg = '#0969da', bold = true },
  PmenuSbar = { bg = '#d0d7de' },
  PmenuThumb = { bg = '#57606a' },
  DiagnosticError = { fg = '#cf222e' },
  DiagnosticWarn = { fg = '#9a6700' },
  DiagnosticUnderlineError = { sp = '#cf222e', undercurl = true },
  DiagnosticUnderlineWarn = { sp = '#9a6700', undercurl = true },
  ModeMsg = { fg = '#1a7f37', bold = true },
}) do
  vim.api.nvim_set_hl(0, group, spec)
end
vim.o.wrap = false
-- The hover's JSON with its quotes: Vim's JSON syntax hides them in floats otherwise.
vim.g.vim_json_conceal = 0
vim.cmd('syntax on')
vim.diagnostic.config({
  virtual_text = {
    prefix = '',
    format = function(d)
      return d.code
    end,
  },
})

vim.lsp.handlers['textDocument/hover'] = vim.lsp.with(vim.lsp.handlers.hover, {
  border = 'rounded',
  max_height = 36,
  max_width = 62,
})

local attached = {}
local client_id = vim.lsp.start_client({
  name = 'mdbook-iam',
  cmd = { bin, 'lsp' },
  root_dir = book,
  on_attach = function(_, buf)
    attached[buf] = true
    vim.bo[buf].omnifunc = 'v:lua.vim.lsp.omnifunc'
  end,
})

local function open(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  vim.bo.filetype = 'markdown'
  vim.wo.wrap = false
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  return buf
end

-- Below: a new page of the book (never written to disk).
local page = open(book .. '/src/new-page.md')
vim.api.nvim_buf_set_lines(page, 0, -1, false, {
  '## Reading the uploads',
  '',
  '<<#iam-policy ',
  '',
  '```json',
  '{',
  '  "Version": "2012-10-17",',
  '  "Statement": [{',
  '    "Effect": "Allow",',
  '    "Action": "qapps:ImportDocumentToQApp",',
  '    "Resource": "*"',
  '  }]',
  '}',
  '```',
})

-- Above: the tutorial, at the directive, tall enough for the hover.
vim.cmd('topleft split')
local tutorial = open(book .. '/src/tutorial.md')
vim.cmd('resize 36')
local row
for n, line in ipairs(vim.api.nvim_buf_get_lines(tutorial, 0, -1, false)) do
  if line:find('<<#iam-policy s3-readonly>>', 1, true) then
    row = n
    break
  end
end

-- Both pages attached and the new page checked; then the hover on the directive.
vim.wait(20000, function()
  return attached[page] and attached[tutorial] and #vim.diagnostic.get(page) > 0
end, 50)
vim.api.nvim_win_set_cursor(0, { row, 8 })
vim.cmd('normal! zt')
vim.cmd('execute "normal! \\<C-y>\\<C-y>"')
vim.lsp.buf.hover()

vim.defer_fn(function()
  -- Neovim closes the hover when another buffer is entered; for the picture it stays while
  -- the completion menu opens below (0.7 names the autocommand group after the window).
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      vim.cmd('silent! autocmd! preview_window_' .. win)
    end
  end
  vim.cmd('wincmd j')
  vim.api.nvim_win_set_cursor(0, { 3, 13 })
  -- Omni completion at the end of `<<#iam-policy `: the client's request, the server's names.
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('A<C-x><C-o>', true, false, true), 'n', false)
  vim.defer_fn(function()
    local f = assert(io.open(ready, 'w'))
    f:write('ready\n')
    f:close()
  end, 1500)
end, 1500)
