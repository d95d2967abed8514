//! Calls the Bookshelf API through the client that `specwright generate openapi.yaml --crate
//! bookshelf` wrote: one call, and what to do with each kind of answer.

use bookshelf::types::GetBookError;
use bookshelf::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let api_key = std::env::var("BOOKSHELF_API_KEY")?;
    let mut builder = Client::builder().api_key(api_key);
    // The spec's server is the default; a test points the client at its own.
    if let Ok(url) = std::env::var("BOOKSHELF_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    match client.get_book(42).await {
        Ok(book) => println!("{} by {}", book.title, book.author),
        Err(Error::Api(refused)) => match refused.body {
            GetBookError::NotFound(problem) => println!("no such book: {}", problem.title),
            other => println!("refused with {}: {other:?}", refused.status),
        },
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
