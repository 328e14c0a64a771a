"""The kiosk's own file picker: lists this session's documents, never the file system."""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

STYLE = """
QDialog { background: #1d3557; }
QLabel { color: white; font-size: 26px; }
QListWidget { font-size: 22px; background: white; padding: 8px; }
QListWidget::item { padding: 12px; }
QPushButton { font-size: 22px; padding: 14px 28px; background: #f1faee; color: #1d3557;
              border-radius: 6px; }
QPushButton:default { background: #ffb703; }
"""


class DocumentPicker(QDialog):
    """Full-window list of the session's documents with "Choisir" and "Annuler"."""

    def __init__(self, parent: QWidget, files: list[Path], multiple: bool) -> None:
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.setStyleSheet(STYLE)
        self.setModal(True)
        self.setGeometry(parent.geometry())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 60, 80, 60)
        title = "Choisissez un document" if files else "Vous n'avez pas encore de document"
        layout.addWidget(QLabel(title))
        if not files:
            layout.addWidget(QLabel("Les documents que vous téléchargez pendant la session "
                                    "apparaissent ici."))
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection if multiple
                                   else QAbstractItemView.SelectionMode.SingleSelection)
        for path in files:
            item = QListWidgetItem(path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
        if files:
            self.list.setCurrentRow(0)
            self.list.item(0).setSelected(True)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton("Annuler")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        choose = QPushButton("Choisir")
        choose.setEnabled(bool(files))
        choose.setDefault(bool(files))
        choose.clicked.connect(self.accept)
        buttons.addWidget(choose)
        layout.addLayout(buttons)

    def chosen(self) -> list[str]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()]


def pick(parent: QWidget, files: list[Path], multiple: bool) -> list[str]:
    """Show the picker modally; the selected paths, or [] if cancelled."""
    dialog = DocumentPicker(parent, files, multiple)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.chosen()
        return []
    finally:
        dialog.deleteLater()

