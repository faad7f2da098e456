"""Request size limit for uploads, checked before the multipart body is parsed."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from worker.errors import UploadTooLarge


class UploadLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            body = json.dumps({"error": {"code": UploadTooLarge.code, "message": self._msg()}})
            await send({"type": "http.response.start", "status": 413,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body.encode()})
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:  # chunked uploads have no declared length
                raise UploadTooLarge(self._msg())
            return message

        await self.app(scope, counted, send)

    def _msg(self) -> str:
        return (f"The upload is larger than {self.max_bytes} bytes (NIANBAO_MAX_UPLOAD_BYTES); "
                "split it into several batches.")
