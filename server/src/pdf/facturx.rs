//! What Typst cannot write in a Factur-X file: the XMP that declares it one. The PDF/A-3 file
//! Typst exports (with `factur-x.xml` attached) gets the Factur-X extension schema and its four
//! values beside the PDF/A identification, as platforms check.

use super::renderer::PdfError;

/// The Factur-X properties and the PDF/A extension schema that describes them.
const FACTURX_XMP: &str = r#"<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>fx</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentFileName</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The name of the embedded XML document</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentType</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The type of the hybrid document in capital letters, e.g. INVOICE or ORDER</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>Version</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The actual version of the standard applying to the embedded XML document</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>ConformanceLevel</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The conformance level of the embedded XML document</pdfaProperty:description></rdf:li>
</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
<fx:DocumentType>INVOICE</fx:DocumentType>
<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
<fx:Version>1.0</fx:Version>
<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
</rdf:Description>
"#;

/// `pdf` (PDF/A-3, from Typst) with the Factur-X declaration added to its XMP metadata.
pub fn with_facturx_metadata(pdf: &[u8]) -> Result<Vec<u8>, PdfError> {
    let fail = |e: &dyn std::fmt::Display| PdfError::Export(format!("Factur-X metadata: {e}"));
    let mut doc = lopdf::Document::load_mem(pdf).map_err(|e| fail(&e))?;
    let metadata = doc
        .catalog()
        .and_then(|catalog| catalog.get(b"Metadata"))
        .and_then(|m| m.as_reference())
        .map_err(|e| fail(&e))?;
    let stream = doc.get_object_mut(metadata).and_then(|o| o.as_stream_mut()).map_err(|e| fail(&e))?;
    let content = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    let xmp = String::from_utf8(content).map_err(|e| fail(&e))?;
    let end = xmp.rfind("</rdf:RDF>").ok_or_else(|| fail(&"no rdf:RDF in the XMP"))?;
    let extended = format!("{}{FACTURX_XMP}{}", &xmp[..end], &xmp[end..]);
    // PDF/A wants the metadata readable as is: unfiltered.
    stream.dict.remove(b"Filter");
    stream.dict.remove(b"DecodeParms");
    stream.set_content(extended.into_bytes());
    let mut out = Vec::with_capacity(pdf.len() + FACTURX_XMP.len() + 1_024);
    doc.save_to(&mut out).map_err(|e| fail(&e))?;
    Ok(out)
}
