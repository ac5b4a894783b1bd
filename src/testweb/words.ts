/** Word lists for generated text. Small on purpose: the text only has to look like a language. */
export const LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const WORDS: Record<Language, readonly string[]> = {
  en: ('the of and to in is for that with on as by at from this we are our new more about which their market ' +
    'company service quality product customer design team data report growth value local people world today ' +
    'city year support system project time research price offer review guide business industry energy network ' +
    'health travel software garden kitchen sport music history science future simple better local global ' +
    'results strategy partner solution experience community delivery order order stock sale').split(' '),
  de: ('der die das und zu in ist für mit auf als von bei aus dieser wir sind unser neue mehr über welche ihre Markt ' +
    'Unternehmen Dienst Qualität Produkt Kunde Gestaltung Team Daten Bericht Wachstum Wert Menschen Welt heute ' +
    'Stadt Jahr Unterstützung System Projekt Zeit Forschung Preis Angebot Bewertung Leitfaden Geschäft Branche ' +
    'Energie Netzwerk Gesundheit Reise Garten Küche Musik Geschichte Wissenschaft Zukunft einfach besser größer ' +
    'schön Straße Lösung Erfahrung Gemeinschaft Lieferung Bestellung Lager').split(' '),
  fr: ('le la les et à dans est pour que avec sur comme par au de ce nous sommes notre nouveau plus sur leur marché ' +
    'entreprise service qualité produit client conception équipe données rapport croissance valeur gens monde ' +
    "aujourd'hui ville année soutien système projet temps recherche prix offre avis guide affaires industrie énergie " +
    'réseau santé voyage jardin cuisine musique histoire science avenir simple meilleur être très déjà où ' +
    'élève fenêtre résultat stratégie partenaire solution expérience communauté livraison commande').split(' '),
  es: ('el la los y a en es para que con sobre como por al de este nosotros somos nuestro nuevo más acerca su ' +
    'mercado empresa servicio calidad producto cliente diseño equipo datos informe crecimiento valor gente mundo hoy ' +
    'ciudad año apoyo sistema proyecto tiempo investigación precio oferta reseña guía negocio industria energía red ' +
    'salud viaje jardín cocina música historia ciencia futuro simple mejor niño mañana también señal ' +
    'resultado estrategia socio solución experiencia comunidad entrega pedido').split(' '),
};

export interface LanguageStrings {
  home: string;
  buy: string;
  addToCart: string;
  inStock: string;
  price: string;
  order: string;
  subscribe: string;
  notFound: string;
  related: string;
  rights: string;
}

export const STRINGS: Record<Language, LanguageStrings> = {
  en: {
    home: 'Home', buy: 'Buy now', addToCart: 'Add to cart', inStock: 'In stock, ships in 2 days', price: 'Price',
    order: 'Order today', subscribe: 'Subscribe to continue reading', notFound: 'Page not found', related: 'Related', rights: 'All rights reserved',
  },
  de: {
    home: 'Startseite', buy: 'Jetzt kaufen (buy now)', addToCart: 'In den Warenkorb (add to cart)', inStock: 'Auf Lager (in stock)', price: 'Preis (price)',
    order: 'Jetzt bestellen (order)', subscribe: 'Jetzt abonnieren, um weiterzulesen (subscribe to continue reading)', notFound: 'Seite nicht gefunden (page not found)', related: 'Ähnliche Seiten', rights: 'Alle Rechte vorbehalten',
  },
  fr: {
    home: 'Accueil', buy: 'Acheter (buy now)', addToCart: 'Ajouter au panier (add to cart)', inStock: 'En stock (in stock)', price: 'Prix (price)',
    order: 'Commander (order)', subscribe: 'Abonnez-vous pour continuer la lecture (subscribe to continue reading)', notFound: 'Page introuvable (page not found)', related: 'À lire aussi', rights: 'Tous droits réservés',
  },
  es: {
    home: 'Inicio', buy: 'Comprar (buy now)', addToCart: 'Añadir al carrito (add to cart)', inStock: 'En stock (in stock)', price: 'Precio (price)',
    order: 'Pedir hoy (order)', subscribe: 'Suscríbete para seguir leyendo (subscribe to continue reading)', notFound: 'Página no encontrada (page not found)', related: 'Relacionado', rights: 'Todos los derechos reservados',
  },
};
