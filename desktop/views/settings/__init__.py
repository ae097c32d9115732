"""The pages of the «Настройки» dialog, one module each (`desktop/views/settings_dialog.py`)."""
