"""The Hugging Face Space entry (``app_file: app.py``) and ``python app.py``:
the web chat of ``web.server`` on http://127.0.0.1:7860 (0.0.0.0:7860 on a
Space). ``qa serve`` runs the same."""

from web.server import main

if __name__ == "__main__":
    main()
