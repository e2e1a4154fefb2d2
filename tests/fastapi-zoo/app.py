"""A FastAPI application that uses every construct FastAPI and pydantic v2 put in an
OpenAPI document. The Rust client is generated from the document this app produces
(`python app.py dump FILE`) and its end-to-end suite calls every route of the running
app (`python app.py serve PORT`). Echo routes answer with what they received. A second,
minimal app (`python app.py dump-minimal FILE`) stands for the many small services whose
document has none of the constructs that need the build step's own emitters."""

import datetime as dt
import decimal
import enum
import json
import sys
import uuid
from typing import Annotated, Any, Literal, Optional, Union

from fastapi import (Body, Cookie, Depends, FastAPI, File, Form, Header, HTTPException, Path,
                     Query, Request, Security, UploadFile)
from fastapi.responses import (FileResponse, HTMLResponse, JSONResponse, PlainTextResponse,
                               StreamingResponse)
from fastapi.security import (APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer,
                              OAuth2PasswordRequestForm)
from pydantic import BaseModel, ConfigDict, Field, constr

app = FastAPI(title="FastAPI zoo", version="1.0.0")

api_key = APIKeyHeader(name="X-Zoo-Key", auto_error=False)
bearer = HTTPBearer(auto_error=False)


# ---------------------------------------------------------------- models

class Color(str, enum.Enum):
    red = "red"
    green = "green"
    blue = "blue"


class Priority(int, enum.Enum):
    low = 1
    high = 2


class Cat(BaseModel):
    kind: Literal["cat"] = "cat"
    name: str
    lives: int = 9


class Dog(BaseModel):
    kind: Literal["dog"] = "dog"
    name: str
    good: bool = True


Pet = Annotated[Union[Cat, Dog], Field(discriminator="kind")]


class Node(BaseModel):
    """A recursive tree."""
    label: str
    children: list["Node"] = []


class Defaults(BaseModel):
    """Defaults of every kind, one of them contradicting its own schema."""
    text: str = "hello"
    number: float = 1.5
    count: int = 3
    flag: bool = False
    items: list[int] = [1, 2]
    mapping: dict[str, int] = {"a": 1}
    color: Color = Color.green
    nothing: Optional[str] = None
    odd: str = Field(default=True)  # FastAPI lets this through: the default is a boolean


class Everything(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: uuid.UUID
    code: constr(pattern=r"^[A-Z]{3}-[0-9]+$")
    secret: Annotated[str, Field(pattern="^password$")] = "password"
    when: dt.datetime
    day: dt.date
    amount: decimal.Decimal
    color: Color
    priority: Priority = Priority.low
    pet: Pet
    anything: Union[Cat, dict[str, Any], str] = "plain"
    tags: dict[str, Color] = {}
    pair: tuple[int, str] = (1, "one")
    tree: Optional[Node] = None
    gone: None = None
    defaults: Defaults = Defaults()


class Params(BaseModel):
    item_id: uuid.UUID
    when: Optional[dt.datetime]
    day: Optional[dt.date]
    amount: Optional[decimal.Decimal]
    color: Optional[Color]
    tags: list[str]
    limit: int
    trace: Optional[str]
    session: Optional[str]


class Problem(BaseModel):
    detail: str


class Conflict(BaseModel):
    detail: str
    existing: uuid.UUID


class Page(BaseModel):
    items: list[Pet]
    total: int


class CursorPage(BaseModel):
    data: list[Node]
    next_cursor: Optional[str] = None


class Token(BaseModel):
    access_token: str
    token_type: str


class Uploaded(BaseModel):
    name: Optional[str]
    size: int
    sha: str


class Received(BaseModel):
    note: str
    files: list[Uploaded]
    kind: Optional[Color] = None


class Who(BaseModel):
    api_key: Optional[str]
    bearer: Optional[str]


class Event(BaseModel):
    seq: int
    text: str


def digest(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


DOWNLOAD = bytes(range(256)) * 1024


# ---------------------------------------------------------------- routes

@app.get("/items/{item_id}", response_model=Params)
def read_item(
    item_id: Annotated[uuid.UUID, Path()],
    when: Optional[dt.datetime] = None,
    day: Optional[dt.date] = None,
    amount: Optional[decimal.Decimal] = None,
    color: Optional[Color] = None,
    tags: Annotated[list[str], Query()] = [],
    limit: int = 10,
    x_trace: Optional[str] = Header(None),
    session: Optional[str] = Cookie(None),
):
    return Params(item_id=item_id, when=when, day=day, amount=amount, color=color, tags=tags,
                  limit=limit, trace=x_trace, session=session)


@app.get("/headers")
def echo_headers(
    x_tenant: str = Header(...),
    x_request_tag: Optional[str] = Header(None),
) -> dict[str, Optional[str]]:
    """Header parameters on an operation without a cookie: the generator's own code sends them."""
    return {"tenant": x_tenant, "tag": x_request_tag}


@app.get("/lookup/{key}")
def lookup(key: Union[uuid.UUID, str], alt: Union[int, str, None] = None) -> dict[str, str]:
    return {"key": str(key), "alt": "" if alt is None else str(alt)}


@app.get("/constrained")
def constrained(codes: Annotated[list[constr(min_length=2)], Query()] = []) -> list[str]:
    return codes


@app.post("/everything")
def echo_everything(body: Everything) -> Everything:
    return body


@app.post("/defaults")
def echo_defaults(body: Defaults) -> Defaults:
    return body


@app.post("/pets")
def echo_pet(pet: Pet) -> Pet:
    return pet


@app.post("/unions")
def echo_union(value: Union[Cat, dict[str, Any], str] = Body(...)) -> Union[Cat, dict[str, Any], str]:
    return value


@app.post("/tree")
def echo_tree(node: Node) -> Node:
    return node


@app.post("/dict")
def echo_dict(body: dict[str, Any]) -> dict[str, Any]:
    return body


@app.post("/colors")
def echo_colors(body: dict[str, Color]) -> dict[str, Color]:
    return body


@app.post("/pair")
def echo_pair(body: tuple[int, str]) -> tuple[int, str]:
    return body


@app.post("/embedded")
def echo_embedded(name: str = Body(...), count: int = Body(2)) -> dict[str, Any]:
    return {"name": name, "count": count}


@app.post("/upload")
async def upload_one(file: UploadFile, note: str = Form("none")) -> Received:
    data = await file.read()
    return Received(note=note, files=[Uploaded(name=file.filename, size=len(data), sha=digest(data))])


@app.post("/upload/many")
async def upload_many(files: list[UploadFile], note: str = Form(...),
                      kind: Optional[Color] = Form(None)) -> Received:
    out = []
    for f in files:
        data = await f.read()
        out.append(Uploaded(name=f.filename, size=len(data), sha=digest(data)))
    return Received(note=note, files=out, kind=kind)


@app.post("/token")
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    return Token(access_token=f"{form.username}:{form.password}:{' '.join(form.scopes)}",
                 token_type="bearer")


@app.post(
    "/notes",
    operation_id="createNote",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"detail": {"type": "string"},
                                       "file": {"type": "string", "format": "binary"}},
                        "required": ["detail"],
                    }
                },
            },
        }
    },
)
async def create_note(request: Request) -> Problem:
    if request.headers.get("content-type", "").startswith("multipart/"):
        form = await request.form()
        text = form["detail"]
        if "file" in form:
            text += ":" + (await form["file"].read()).decode()
        return Problem(detail=f"multipart:{text}")
    body = await request.json()
    return Problem(detail=f"json:{body['detail']}")


@app.get("/things/{thing_id}", responses={404: {"model": Problem}, 409: {"model": Conflict}})
def get_thing(thing_id: int) -> Cat:
    if thing_id == 404:
        return JSONResponse(status_code=404, content={"detail": "no such thing"})
    if thing_id == 409:
        return JSONResponse(status_code=409, content={"detail": "taken",
                                                      "existing": str(uuid.UUID(int=409))})
    return Cat(name=f"thing-{thing_id}")


@app.get("/text", response_class=PlainTextResponse,
         responses={400: {"content": {"text/plain": {"schema": {"type": "string"}}}}})
def get_text(fail: bool = False) -> str:
    if fail:
        return PlainTextResponse("bad text", status_code=400)
    return "plain text"


@app.get("/html", response_class=HTMLResponse,
         responses={503: {"content": {"text/html": {"schema": {"type": "string"}}}}})
def get_html(fail: bool = False) -> str:
    if fail:
        return HTMLResponse("<p>down</p>", status_code=503)
    return "<p>hello</p>"


@app.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"$ref": "#/components/schemas/Event"}}}}},
)
def stream_events(count: int = 3) -> StreamingResponse:
    def gen():
        for i in range(count):
            yield f"event: tick\ndata: {json.dumps({'seq': i, 'text': 'x' * i})}\n\n"
        yield "event: done\ndata: {}\n\n"
    return StreamingResponse(gen(), media_type="text/event-stream")


@app.get("/download", response_class=FileResponse,
         responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string",
                                                                             "format": "binary"}}}}})
def download():
    import tempfile
    f = tempfile.NamedTemporaryFile(delete=False)
    f.write(DOWNLOAD)
    f.close()
    return FileResponse(f.name, media_type="application/octet-stream")


@app.get("/datasets/{name}/export.jsonl", operation_id="getJSONLOpenAIExport")
def export(name: str) -> list[dict[str, str]]:
    return [{"name": name}]


@app.get("/urls", operation_id="listURLs")
def list_urls() -> list[str]:
    return ["http://a", "http://b"]


@app.get("/me")
def whoami(key: Optional[str] = Security(api_key),
           token: Optional[HTTPAuthorizationCredentials] = Security(bearer)) -> Who:
    return Who(api_key=key, bearer=token.credentials if token else None)


PETS = [Cat(name=f"cat{i}") if i % 2 == 0 else Dog(name=f"dog{i}") for i in range(7)]


@app.get("/pets")
def list_pets(offset: int = 0, limit: int = Query(3, ge=1, le=100)) -> Page:
    return Page(items=PETS[offset:offset + limit], total=len(PETS))


NODES = [Node(label=f"n{i}") for i in range(5)]


@app.get("/nodes")
def list_nodes(cursor: Optional[str] = None, limit: int = 2) -> CursorPage:
    start = int(cursor or 0)
    end = start + limit
    return CursorPage(data=NODES[start:end], next_cursor=str(end) if end < len(NODES) else None)


@app.delete("/things/{thing_id}", status_code=204)
def delete_thing(thing_id: int) -> None:
    return None


@app.put("/things/{thing_id}/flag")
def put_flag(thing_id: int, flag: bool = Body(..., embed=True)) -> dict[str, bool]:
    return {str(thing_id): flag}


# ---------------------------------------------------------------- the smallest service
# Many published FastAPI services are this small: JSON out, no parameter at all (so no
# path parameter and no documented error body, not even the 422), no string enum, no
# upload, no event stream, no cookie. The crate must build from such a document without
# a single warning too.

minimal = FastAPI(title="FastAPI zoo, minimal", version="1.0.0")


class Item(BaseModel):
    id: int
    name: str


@minimal.get("/items")
def list_items() -> list[Item]:
    return [Item(id=1, name="item")]


@minimal.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "dump":
        with open(sys.argv[2], "w") as f:
            json.dump(app.openapi(), f, indent=2)
    elif len(sys.argv) == 3 and sys.argv[1] == "dump-minimal":
        with open(sys.argv[2], "w") as f:
            json.dump(minimal.openapi(), f, indent=2)
    elif len(sys.argv) == 3 and sys.argv[1] == "serve":
        import uvicorn
        uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
    else:
        sys.exit("usage: app.py dump FILE | dump-minimal FILE | serve PORT")


if __name__ == "__main__":
    main()
